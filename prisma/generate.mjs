// Placeholder until the Prisma schema lands; replaced by the real generator step.

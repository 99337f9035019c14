#!/bin/sh
# Stand-in for Prisma's schema engine binary, which cannot be downloaded on offline machines.
# `prisma generate` only checks that the path exists; anything that really needs the engine
# (prisma migrate, db push) stops here with a clear message instead of trying the network.
echo "Il motore di schema di Prisma non è installato: le migrazioni sono applicate da prisma/migrate.ts all'avvio." >&2
echo "Prisma's schema engine is not installed: migrations are applied by prisma/migrate.ts on start." >&2
exit 1

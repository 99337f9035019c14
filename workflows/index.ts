/** Every workflow the worker registers (its `workflowsPath` points here). */
export { meetingWorkflow } from './meeting';
export { deliverableWorkflow } from './deliverable';
export { seriesWorkflow } from './series';
export { annualCycleWorkflow } from './annual';
export { complianceMonitorWorkflow } from './compliance';

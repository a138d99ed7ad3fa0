/** `roster/testing`: a registry inside an application's own tests. */
export { startTestRegistry, type TestRegistry, type TestRegistryOptions } from './test-registry.js';

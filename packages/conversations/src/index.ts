/**
 * `@kit/conversations`: nothing is exported yet. This package is filled by its own issue (#6);
 * until then it exists so that the workspace, its layering and its build are in place.
 * @packageDocumentation
 */
export {};

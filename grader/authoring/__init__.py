"""Authors' tools: verify, the mutation checker, nbgrader notebooks."""

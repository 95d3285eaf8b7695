"""The workshop engine: step builder, verifier and the learner's commands."""

"""The kit seen from other tools: nbgrader's preprocessors, and the environment their programs start from."""

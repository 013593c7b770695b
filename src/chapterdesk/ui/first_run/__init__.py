"""The first-run assistant (issue 9)."""

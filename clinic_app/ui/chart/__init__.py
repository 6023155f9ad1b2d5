"""The chart in memory and the undo commands that change it."""

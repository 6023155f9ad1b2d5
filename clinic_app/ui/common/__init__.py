"""Widgets, prompts and formatting shared by every screen."""

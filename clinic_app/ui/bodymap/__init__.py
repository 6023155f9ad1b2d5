"""The anatomical body map: figures, clickable muscles, markers, overlay."""

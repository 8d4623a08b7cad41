"""The course as the kit reads it: its folder layout, each assignment's settings, the upload policy."""

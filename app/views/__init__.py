"""Page scripts: one file per page, read top to bottom; sections and callbacks live in app/parts/<same name>.py."""

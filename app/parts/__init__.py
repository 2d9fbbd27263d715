"""One page's sections and callbacks per file, named after its page script in app/views/."""

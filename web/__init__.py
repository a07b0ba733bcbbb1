"""The HTTP edge: the intake API and the review station (one FastAPI app, `web.app.create_app`)."""

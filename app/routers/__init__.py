"""HTTP routers: the JSON API (:mod:`app.routers.api`), the HTML views (:mod:`.views`)."""

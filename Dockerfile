# The Tejido API, for docker-compose.yml (Neo4j 5 + the API) or any container platform.
#   docker build -t tejido .
#   docker run -p 8000:8000 -e TEJIDO_STORE=neo4j://host:7687 -e NEO4J_PASSWORD=... tejido
# Without TEJIDO_STORE the API uses the embedded SQLite store in /app/data (mount a volume).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The project's packages only (see .dockerignore): no tests, no virtualenv, no node_modules.
COPY pyproject.toml README.md ./
COPY app ./app
COPY graph ./graph
COPY loaders ./loaders
COPY queries ./queries
COPY evaluation ./evaluation
RUN pip install . \
    && useradd --create-home --uid 10001 --user-group tejido \
    && mkdir -p /app/data \
    && chown tejido:tejido /app/data

USER tejido
EXPOSE 8000
CMD ["tejido", "serve", "--host", "0.0.0.0", "--port", "8000"]

# Production image: gunicorn, Celery worker and Celery beat all run from this one image
# (see docker-compose.yml). Configuration comes only from the environment (settings.py).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=alingsas_ale.settings \
    STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage \
    MEDIA_ROOT=/data/media

# WeasyPrint's runtime libraries and fonts; Node and npm for the htmx package from npm.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fontconfig fonts-dejavu-core fonts-liberation2 \
        nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund --loglevel=error \
    && npm cache clean --force

COPY . .

# Hashed, compressed static files (htmx comes from node_modules via STATICFILES_DIRS).
# The dummy DATABASE_URL keeps the settings from starting the embedded PostgreSQL;
# collectstatic never connects to it.
# A throwaway key: the settings refuse to load without one, and this step signs nothing.
RUN DATABASE_URL=postgres://build:build@localhost/build SECRET_KEY="collectstatic-$(date +%s%N)-not-a-secret-000000000000000" \
    python manage.py collectstatic --no-input -v 0

# The code stays owned by root and read-only to the app; only the media directory and the directory
# of a generated secret key (SECRET_KEY_FILE, docker-compose.yml) are writable.
RUN useradd --system --create-home --uid 10001 --user-group app \
    && mkdir -p /data/media /data/secrets \
    && chown app:app /data/media \
    && chown app:app /data/secrets && chmod 700 /data/secrets
USER app

EXPOSE 8000
CMD ["gunicorn", "alingsas_ale.wsgi", "--bind", "0.0.0.0:8000"]

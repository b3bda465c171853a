"""One settings module, driven by the environment (see the README's table)."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

from . import embedded, security

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Never a key published in this repository: SECRET_KEY, or SECRET_KEY_FILE, or (embedded database or
# DEBUG) a random key generated once in var/secret_key; a networked database without either is refused.
SECRET_KEY = security.secret_key(
    value=env("SECRET_KEY", default=""),
    key_file=env("SECRET_KEY_FILE", default=""),
    default_file=embedded.var_dir() / "secret_key",
    debug=DEBUG,
    database_url=env("DATABASE_URL", default=""),
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "guardian",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "cases",
    "motions",
    "papers",
    "meetings",
    "administration",
    "reading",
    "signin",
    "audit",
    "alingsas_ale",
]

MIDDLEWARE = [
    # First, so a database or Redis outage in any middleware below is answered with the 503 page.
    "alingsas_ale.middleware.OutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Every GET and POST value in Unicode NFC, without NUL or control characters (cases/validation.py).
    "alingsas_ale.middleware.CleanInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every write of the request is attributed to the signed-in user and address (docs/audit.md).
    "audit.middleware.AuditMiddleware",
    # Idle and absolute session limits (SESSION_IDLE_TIMEOUT, SESSION_COOKIE_AGE), counted on the server.
    "alingsas_ale.security.SessionTimeoutMiddleware",
    # request.user.is_verified(), then: a user with a TOTP app, or whose role the municipality requires
    # one for, gives a code (or sets an app up) before anything else (signin/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "signin.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cases.middleware.MunicipalityScopeMiddleware",
    # Last: turns a refused, locked-out sign-in into the Swedish lockout page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alingsas_ale.urls"
WSGI_APPLICATION = "alingsas_ale.wsgi.application"

# A <select> is written in Python, the rest of a form through its templates (alingsas_ale/forms.py).
FORM_RENDERER = "alingsas_ale.forms.Renderer"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.context_processors.municipality",
                "administration.context_processors.nav",
                "reading.context_processors.nav",
                "audit.context_processors.nav",
                "alingsas_ale.pagecache.csrf_marker",  # after Django's csrf: see its docstring
            ],
        },
    },
]

# PostgreSQL only. Without DATABASE_URL the embedded server from the pgserver wheel is used, with an
# owner role (runs the migrations) and a runtime role (the web and the worker): docs/audit.md.
if env("DATABASE_URL", default=""):
    _runtime_url, _owner_url = env("DATABASE_URL"), env("DATABASE_OWNER_URL", default="")
else:
    _runtime_url, _owner_url = embedded.postgres_urls()
DATABASES = {"default": env.db_url_config(_runtime_url)}
# `manage.py migrate` signs in as the owner (audit/management/commands/migrate.py); the runtime role is
# granted what it needs after every migrate and owns nothing, so it cannot alter a table or a trigger.
_owner = env.db_url_config(_owner_url) if _owner_url else {}
DATABASE_OWNER = {key: _owner[key] for key in ("USER", "PASSWORD")} if _owner_url else {}
DATABASE_RUNTIME_ROLE = DATABASES["default"]["USER"] if _owner_url else ""
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a new PostgreSQL connection per request costs more than most pages
# queries (bench/pages.py). Checked before reuse, so a restarted server costs one failed request none.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Server-side prepared statements for what every page runs (alingsas_ale/hotpath.py). Off behind a
# pooler in transaction mode (PgBouncer), which hands each transaction another server session.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
# Signed-in users' pages kept in Redis under the municipality's data version (alingsas_ale/pagecache.py).
KEPT_PAGES = env.bool("KEPT_PAGES", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cases.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user with their municipality in one query (signin/backends.py).
    "signin.backends.PasswordBackend",
    # The municipality's own identity provider (OpenID Connect), configured per municipality (signin/oidc.py).
    "signin.oidc.MunicipalityOIDCBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # cases.views.diarium.home sends each user to the work of their duty
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous object permissions; the public pages need none
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "sv"
# Source strings are Swedish; an English catalogue in locale/en and ("en", "English") here add English.
LANGUAGES = [("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic's output (scripts/run collects on every start). The smoke run of scripts/run in the
# test command collects into its own, so it never rewrites files the test processes' WhiteNoise reads.
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/trix", BASE_DIR / "node_modules" / "trix" / "dist"),
    ("vendor/pdfjs", BASE_DIR / "node_modules" / "pdfjs-dist" / "build"),
]
WHITENOISE_USE_FINDERS = True  # serve from the apps and node_modules too when collectstatic has not run
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(embedded.var_dir() / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through the permission door
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env("STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}

# Uploads: limits checked in forms with a Swedish message, not by a bare 413. Form data over
# DATA_UPLOAD_MAX_MEMORY_SIZE is answered by the Swedish 413 page (alingsas_ale/errors.py).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery on Redis. Tasks are acknowledged after they ran, so a killed worker loses nothing;
# Redis hands an unacknowledged task to another worker after the visibility timeout.
REDIS_URL = env("REDIS_URL", default=f"redis://127.0.0.1:{embedded.default_redis_port()}/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# The shared cache (every web process and worker sees the same): what a page can keep between views
# with exact invalidation, today the handläggare option lists (cases/user_options.py). Its users
# fall back to the database when it is away; short timeouts keep a hung Redis from holding a page.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": "cache",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    # What each process may hold for itself, refetched if lost (the OIDC provider's discovery document).
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
CELERY_RESULT_BACKEND = None
# Acknowledge after running (env override exists only for the negative-control test of that choice).
CELERY_TASK_ACKS_LATE = env.bool("CELERY_TASK_ACKS_LATE", default=True)
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker's memory limit, in KiB: a pool process that has grown past it is replaced once its task
# is done (never killed mid-task). A 200-§ protocol stays well below it (docs/performance.md).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=1024 * 1024)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # The longest task (a protocol PDF with its extracts: seconds) fits many times over; a task whose
    # worker died is handed out again after this. The outbox sweep redelivers sooner (below).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300),
    # How often a worker looks for unacknowledged tasks past that timeout (kombu's default is ~100 s).
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fix-up closes every database connection before and after each task unless this
# is set; each task then paid for a new PostgreSQL backend with cold catalogue caches (about half of
# a routing step). Connections are kept, and alingsas_ale/celery.py runs Django's own between-requests
# check around each task instead: CONN_MAX_AGE retires old ones, CONN_HEALTH_CHECKS drops one that a
# database restart broke, before the task uses it.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1_000_000)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# One retry policy for every task (cases/taskbase.py): transient errors are retried with exponential
# backoff and jitter (2, 4, 8 … s, at most TASK_RETRY_BACKOFF_MAX) up to TASK_MAX_RETRIES times.
TASK_MAX_RETRIES = env.int("TASK_MAX_RETRIES", default=6)
TASK_RETRY_BACKOFF_MAX = env.int("TASK_RETRY_BACKOFF_MAX", default=60)
# The outbox (cases/outbox.py): a row not done this many seconds after it was published is published
# again by the sweep (every 15 s); after OUTBOX_MAX_ATTEMPTS publications the task gives up visibly.
OUTBOX_RETRY_AFTER = env.int("OUTBOX_RETRY_AFTER", default=30)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
# Done rows are kept this long (for looking into what happened), then the sweep deletes them.
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)

# The most remisser one routing step takes: its own send's, then the oldest others waiting in the
# municipality (a deep queue of single sends is routed in batches). 0: its own send's only.
REMISS_ROUTING_BATCH = env.int("REMISS_ROUTING_BATCH", default=100)
# Days before a remiss deadline on which the recipients are reminded.
REMISS_REMINDER_DAYS = env.list("REMISS_REMINDER_DAYS", cast=int, default=[7, 2])
# The address the system is reached at, for links in e-mail and calendar feeds.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# PAdES signing of justerade protocols with a municipality's certificate (PKCS#12), per municipality
# slug: PDF_SIGNING_<SLUG>_PKCS12 (path) and PDF_SIGNING_<SLUG>_PASSPHRASE. Unset: no PDF signature.
PDF_SIGNING = {
    key.removeprefix("PDF_SIGNING_").removesuffix("_PKCS12").lower(): {
        "pkcs12": value,
        "passphrase": env(key.replace("_PKCS12", "_PASSPHRASE"), default=""),
    }
    for key, value in env.ENVIRON.items()
    if key.startswith("PDF_SIGNING_") and key.endswith("_PKCS12")
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=1025)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="diariet@kommun.example")

SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with a statement built once per process (alingsas_ale/hotpath.py).
SESSION_ENGINE = "alingsas_ale.hotpath"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A signed-in session lasts at most SESSION_COOKIE_AGE seconds (a working day) and ends after
# SESSION_IDLE_TIMEOUT seconds without a request (alingsas_ale.security.SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind TLS: redirect http to https and tell browsers to use https only (HSTS). Off by default so
# that scripts/run on http://127.0.0.1 works; README "Production" lists the values for a deployment.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
# The service's own host name: its subdomains (if any) are the service's too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# A TLS-terminating proxy in front says so in this header (e.g. "HTTP_X_FORWARDED_PROTO,https").
_proxy_ssl_header = env.tuple("SECURE_PROXY_SSL_HEADER", default=())
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header[0], _proxy_ssl_header[1]) if len(_proxy_ssl_header) == 2 else None

# Content Security Policy (django-csp 4): scripts and styles only from this origin, no inline script
# at all. The two libraries that add a <style> element of their own (htmx's request indicator, Trix's
# editor defaults) are given the per-request nonce through <meta> tags in templates/base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Lockout after failed sign-ins (django-axes): AXES_FAILURE_LIMIT failures for one username from one
# address lock that pair for AXES_COOLOFF_MINUTES; the sign-in page says so in Swedish.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "alingsas_ale.security.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Behind TRUSTED_PROXY_COUNT reverse proxies the client's address is read from X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "alingsas_ale.security.client_ip"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# OpenID Connect sign-in (mozilla-django-oidc): the provider, client id and secret are set per
# municipality (signin.SignInPolicy; the secret may come from OIDC_CLIENT_SECRET_<KOMMUN>).
OIDC_AUTHENTICATION_CALLBACK_URL = "signin:oidc-callback"
OIDC_RP_SCOPES = "openid email"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
# The name the authenticator app shows for the account (django-otp TOTP).
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Diariet")
AXES_VERBOSE = False  # no banner on every start of manage.py, gunicorn and the workers

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "pgserver": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

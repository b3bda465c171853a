from django.urls import path

from . import oidc, totp

app_name = "signin"

urlpatterns = [
    path("oidc/<slug:municipality>/logga-in/", oidc.OIDCStartView.as_view(), name="oidc-start"),
    path("oidc/callback/", oidc.OIDCCallbackView.as_view(), name="oidc-callback"),
    path("konto/tvastegsverifiering/", totp.verify, name="totp-verify"),
    path("konto/tvastegsverifiering/aktivera/", totp.enrol, name="totp-enrol"),
]

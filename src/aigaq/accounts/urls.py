from django.contrib.auth import views as auth_views
from django.urls import path

from aigaq.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_2fa, name="login-2fa"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.setup_2fa, name="2fa-setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="2fa-recovery-codes"),
]

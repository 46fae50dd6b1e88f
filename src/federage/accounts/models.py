"""A user logs in with an email; tokens and login failures are stored hashed or counted here."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        from django.db import transaction

        from federage.agents.services import agent_create

        fields.setdefault("display_name", email.split("@")[0])
        with transaction.atomic(using=self._db):
            user = self.create_user(email, password, is_staff=True, is_superuser=True, **fields)
            # Like every user, an operator acts as their own person in commons.
            agent_create(user=user, kind="person", display_name=user.display_name, is_self=True)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=120)
    language = models.CharField(
        max_length=2, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)
    # Set when the person had their data erased (GDPR art. 17): the row stays, pseudonymised,
    # because the books and the decision logs point to it; nobody can log in as it again.
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(language__in=["fr", "en"]), name="user_language_known"
            ),
            # An erased account is never active again.
            models.CheckConstraint(
                condition=models.Q(erased_at__isnull=True) | models.Q(is_active=False),
                name="user_erased_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.email


class ApiToken(models.Model):
    """A personal token for scripts; only its SHA-256 is kept, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class LoginFailure(models.Model):
    """One failed login, counted per email and per address to throttle guessing."""

    email = models.CharField(max_length=254, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(db_index=True)


class LoginThrottle(models.Model):
    """One row per email and per client address, locked while a log-in attempt is counted: two
    attempts at once are counted one after the other, never both under the limit."""

    key = models.CharField(max_length=320, unique=True)


class PasswordResetMail(models.Model):
    """A password-reset mail sent, counted per address asked for and per client to throttle."""

    email = models.CharField(max_length=254, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(db_index=True)

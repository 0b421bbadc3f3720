"""Forms of the admin console and of second verification."""
from flask import flash, redirect
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.access.labels import home_label, scope_label
from webapp.core.forms import attempt
from webapp.vocab import HOME_SCREENS, SCOPES


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StepUpForm(FlaskForm):
    """Re-enter the password, or a code from the authenticator app once enrolled."""

    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=128)])
    code = StringField(_l("6-digit code from your authenticator app"),
                       validators=[Optional(), Length(max=8)], render_kw={"inputmode": "numeric",
                                                                          "autocomplete": "one-time-code"})


class TotpForm(FlaskForm):
    """Confirm enrolment with the first code the authenticator app shows."""

    code = StringField(_l("6-digit code from your authenticator app"),
                       validators=[DataRequired(_l("Enter the code."))],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


class UserForm(FlaskForm):
    """Role, regions and display name of a user."""

    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=64)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    regions = MultiCheckboxField(_l("Regions"))


class UserCreateForm(UserForm):
    """A new user: also a username and a first password."""

    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter a username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter a password.")), Length(min=8, max=128, message=_l("8 to 128 characters."))])


class PasswordResetForm(FlaskForm):
    """A new password for a user; optionally drop their authenticator app."""

    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a password.")), Length(min=8, max=128, message=_l("8 to 128 characters."))])
    clear_totp = BooleanField(_l("Also remove their authenticator app"))


class RoleCopyForm(FlaskForm):
    """A new role, copied from an existing one."""

    source = SelectField(_l("Copy permissions from"), validators=[DataRequired()])
    code = StringField(_l("Role code"), validators=[
        DataRequired(_l("Enter a code.")),
        Regexp(r"^[a-z][a-z0-9_]{1,31}$", message=_l("2 to 32 lowercase letters, digits or _, "
                                                     "starting with a letter."))])
    name_zh = StringField(_l("Chinese name"), validators=[DataRequired(_l("Enter a name.")), Length(max=64)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=64)])


class ScopeForm(FlaskForm):
    """Which orders a role sees."""

    scope = SelectField(_l("Row scope"), choices=[SelectChoice(s, s) for s in SCOPES])
    home = SelectField(_l("Home screen"), choices=[SelectChoice(h, h) for h in HOME_SCREENS],
                       validators=[Optional()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope.choices = choices((s, scope_label(s)) for s in SCOPES)
        self.home.choices = choices((h, home_label(h)) for h in HOME_SCREENS)


def choices(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into select choices."""
    return [SelectChoice(value, str(label)) for value, label in pairs]


def save(write, field, message, target):
    """Run one admin change as one transaction: commit, flash `message` and redirect to `target`.

    `message` and `target` may be callables of the result. A refused change (ValueError) is rolled
    back and its reason put on `field`, for the caller to show the form again; then None is returned.
    """
    ok, result = attempt(write, field)
    if not ok:
        return None
    flash(message(result) if callable(message) else message, "success")
    return redirect(target(result) if callable(target) else target)

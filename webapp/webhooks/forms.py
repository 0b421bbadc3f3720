"""Forms of the webhook admin pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from webapp.access.forms import MultiCheckboxField, choices
from webapp.webhooks.events import EVENTS


class EndpointForm(FlaskForm):
    """A new endpoint: its URL, the events it wants and whose permissions shape its payloads."""

    url = StringField(_l("URL"), validators=[DataRequired(_l("Enter a URL.")), Length(max=1024)],
                      render_kw={"inputmode": "url", "placeholder": "https://erp.example.com/hooks/orderhub"})
    events = MultiCheckboxField(_l("Events"), choices=choices((e, e) for e in EVENTS),
                                validators=[DataRequired(_l("Choose at least one event."))])
    username = SelectField(_l("Payloads show what this user may read"), validators=[DataRequired()])

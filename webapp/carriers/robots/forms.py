"""Form of the robot admin page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from webapp.access.forms import MultiCheckboxField, choices
from webapp.vocab import REGIONS

from webapp.carriers.robots.adapters import ADAPTERS
from webapp.carriers.robots.services import ROBOT_EVENTS


class RobotForm(FlaskForm):
    """A new robot: vendor, webhook URL, secret, events, regions and the audience role."""

    kind = SelectField(_l("Kind"), choices=choices((k, a.label) for k, a in ADAPTERS.items()))
    name = StringField(_l("Name"), validators=[Optional(), Length(max=64)], render_kw={"placeholder": "华东仓库群"})
    url = StringField(_l("Webhook URL"), validators=[DataRequired(_l("Enter a URL.")), Length(max=1024)],
                      render_kw={"inputmode": "url"})
    secret = PasswordField(_l("Signing secret (DingTalk, Feishu)"), validators=[Optional(), Length(max=255)])
    events = MultiCheckboxField(_l("Events"), choices=choices((e, e) for e in ROBOT_EVENTS),
                                validators=[DataRequired(_l("Choose at least one event."))])
    regions = MultiCheckboxField(_l("Regions (none: all)"), choices=choices((c, n[0]) for c, n in REGIONS.items()))
    audience_role = SelectField(_l("Messages show what this role may read"), validators=[DataRequired()])

from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from .audit_presenter import ACTIONS


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "Enter a correct username and password. Both are case-sensitive.",
    }


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False, label="What was done",
                               choices=[("", "Anything")] + sorted(ACTIONS.items(), key=lambda kv: kv[1]),
                               error_messages={"invalid_choice": "Choose one of the actions listed"})
    actor = forms.CharField(required=False, max_length=150, label="Who (their username)")
    date_from = forms.DateField(required=False, label="From (day/month/year)", input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    date_to = forms.DateField(required=False, label="To (day/month/year)", input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def apply(self, events):
        """The filters as ranges on the indexed columns: a day is [its midnight, the next midnight) in UK
        time, not `at__date`, which casts every row and cannot use an index (docs/performance.md)."""
        data = self.cleaned_data
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("actor"):
            # The person's id first, then the index on (organisation, actor, time): a join on the username
            # let PostgreSQL walk the organisation's events by time instead (87 ms at 500,000 events).
            ids = list(get_user_model().objects.filter(username__iexact=data["actor"]).values_list("pk", flat=True))
            events = events.filter(actor_id__in=ids)
        if data.get("date_from"):
            events = events.filter(at__gte=_midnight(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(at__lt=_midnight(data["date_to"] + timedelta(days=1)))
        return events


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))




class TelInput(forms.TextInput):
    input_type = "tel"


class ProfileForm(forms.Form):
    """The person's own details, said once: every new referral draft starts with them."""

    job_title = forms.CharField(max_length=200, required=False, label="Job title or role",
                                help_text="For example, Year 4 teacher or Designated safeguarding lead")
    phone = forms.CharField(max_length=50, required=False, label="Phone number the front door can reach you on",
                            widget=TelInput(attrs={"autocomplete": "tel"}))

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "Enter a correct username and password. Both are case-sensitive.",
    }


class AuditFilterForm(forms.Form):
    action = forms.CharField(required=False, max_length=64, label="Action")
    actor = forms.CharField(required=False, max_length=150, label="Username")
    date_from = forms.DateField(required=False, label="From (day/month/year)", input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    date_to = forms.DateField(required=False, label="To (day/month/year)", input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def apply(self, events):
        data = self.cleaned_data
        if data.get("action"):
            events = events.filter(action__icontains=data["action"])
        if data.get("actor"):
            events = events.filter(actor__username__iexact=data["actor"])
        if data.get("date_from"):
            events = events.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(at__date__lte=data["date_to"])
        return events



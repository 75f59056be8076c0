from . import access
from .models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from referrals.services import notification_count

    seat = access.primary_seat(user)
    return {
        # A callable: the template evaluates it only where it is shown (not in htmx fragments).
        "notifications": lambda: notification_count(user),
        "seat": seat,
        "is_lead": access.has_role(user, Role.SAFEGUARDING_LEAD),
        "is_admin": access.has_role(user, Role.CATALOGUE_ADMIN),
        "is_practitioner": access.has_role(user, Role.PRACTITIONER),
    }

"""The front door's decision and a lead's closure in national terms (pure: no ORM, no request).

The outcome vocabulary is the Standard Safeguarding Dataset's (data-to-insight/ssd-data-model): each
outcome sets the SSD's contact and referral outcome flags, and belongs to a national stage, so a
partnership can see whether referrals arrive at the level the front door then takes them at.
"""

from __future__ import annotations

from typing import Final

# Each outcome -> the SSD flags it sets to "Y" (contact outcome, referral outcome). The rest are "N".
# Early help has no flag of its own in the SSD: it is "other outcomes exist" at the contact.
SSD_FLAGS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "nfa": (frozenset({"NFA_FLAG"}), frozenset()),
    "advice": (frozenset({"ADVICE_FLAG"}), frozenset()),
    "early_help": (frozenset({"OTHER_OUTCOMES_EXIST_FLAG"}), frozenset()),
    "cin_assessment": (frozenset({"NEW_REFERRAL_FLAG"}), frozenset({"SINGLE_ASSESSMENT_FLAG"})),
    "strategy_s47": (frozenset({"NEW_REFERRAL_FLAG", "CP_ENQUIRY_FLAG"}), frozenset({"STRATEGY_DISCUSSION_FLAG"})),
    "existing_case": (frozenset({"EXISTING_REFERRAL_FLAG"}), frozenset()),
}

# Each outcome -> the national stage the front door took the concern at (catalogues/level_schemes.py's
# bands); an existing open case says nothing about the level of this referral, so it has none.
STAGE_OF_OUTCOME: Final[dict[str, str | None]] = {
    "nfa": "universal",
    "advice": "universal",
    "early_help": "early_help",
    "cin_assessment": "child_in_need",
    "strategy_s47": "child_protection",
    "existing_case": None,
}

# "Not in need": the front door closed it with no further action or with advice only.
NOT_IN_NEED: Final[frozenset[str]] = frozenset({"nfa", "advice"})

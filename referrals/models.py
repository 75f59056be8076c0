"""Referral drafts (built in the referrals issue)."""

"""Plan figures in 万元 as entered (core/money.py)."""

from __future__ import annotations

from django import template

from core import money

register = template.Library()
register.filter("wan", money.wan)

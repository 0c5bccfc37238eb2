"""python-stdnum's verdict on each number read from stdin, for tests/stdnum.rs.

Each input line is KIND<TAB>NUMBER, KIND being `ric` (stdnum.cn.ric) or `uscc`
(stdnum.cn.uscc). Each output line is KIND<TAB>NUMBER<TAB>valid, or
KIND<TAB>NUMBER<TAB>invalid<TAB>REASON where REASON names the step that refused the
number (or `crash-EXCEPTION` when stdnum itself fails), so the Rust test can
tell a documented difference of rules from a bug.
"""

import sys

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent, ValidationError


def ric_reason(number):
    try:
        ric.validate(number)
    except InvalidComponent:
        # validate() raises InvalidComponent both for the birth date and for the
        # birth place (a county unknown, or not yet or no longer existing in the
        # birth year); the date is checked first, so a good date means the place.
        try:
            ric.get_birth_date(number)
        except InvalidComponent:
            return 'date'
        return 'place'
    except ValidationError as error:
        return type(error).__name__
    except Exception as error:  # noqa: B902 - a peer bug is a verdict too
        # stdnum 2.2 raises KeyError from get_birth_place() when the province is
        # known but the county is not, instead of InvalidComponent.
        return 'crash-' + type(error).__name__
    return None


def uscc_reason(number):
    try:
        uscc.validate(number)
    except ValidationError as error:
        return type(error).__name__
    return None


REASONS = {'ric': ric_reason, 'uscc': uscc_reason}

for line in sys.stdin:
    kind, number = line.rstrip('\n').split('\t')
    reason = REASONS[kind](number)
    verdict = 'valid' if reason is None else 'invalid\t' + reason
    print(kind, number, verdict, sep='\t')

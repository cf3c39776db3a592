"""Saving a record with its history entry explained.

simple-history reads who made a change and why from the instance being saved (`_history_user`,
`_change_reason`); these helpers are the one place that sets them, for that one save only, so that
no explanation outlives the save it belongs to."""

from contextlib import contextmanager

# What simple-history reads from an instance it records.
HISTORY_ATTRIBUTES = ("_history_user", "_change_reason")


@contextmanager
def explained(record, reason="", by=None):
    """Within the block, the record's saves and deletion are entered in its history as made by
    `by` (when given) because of `reason` (when given); a block inside another explains its own
    saves and gives the outer block's explanation back when it ends."""
    previous = {name: record.__dict__[name] for name in HISTORY_ATTRIBUTES if name in record.__dict__}
    if by is not None:
        record._history_user = by
    if reason:
        record._change_reason = reason
    try:
        yield record
    finally:
        for name in HISTORY_ATTRIBUTES:
            record.__dict__.pop(name, None)
        record.__dict__.update(previous)


def save_with_history(record, *, reason="", by=None, **save_options):
    """Save `record`, its history entry made by `by` because of `reason`."""
    with explained(record, reason, by):
        record.save(**save_options)


def delete_with_history(record, *, reason="", by=None):
    with explained(record, reason, by):
        record.delete()

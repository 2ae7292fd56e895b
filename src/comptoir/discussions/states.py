"""A discussion's state over time: closing and reopening, escalation by the customer or customer
service, and the escalation clock: a discussion the seller leaves unanswered for the channel's delay
(platform clock) climbs one level by itself, from `Discussion` to `Claim` to `Level_1`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comptoir import channels, clock
from comptoir.discussions import domain as d
from comptoir.discussions.models import Discussion
from comptoir.errors import Conflict, NotFound
from comptoir.jobs import enqueue

ESCALATE_JOB = "discussions.escalate"
DUPLICATE = "DuplicateDiscussion"


def state_of(discussion: Discussion) -> d.State:
    return d.State(discussion.is_open, discussion.graduation, discussion.process_status)


def locked(session: Session, discussion_id: str, seller_id: str | None = None) -> Discussion:
    """The discussion, locked for the change to come (another seller's is not found)."""
    discussion = session.get(Discussion, discussion_id, with_for_update=True)
    if discussion is None or (seller_id is not None and discussion.seller_id != seller_id):
        raise NotFound(f"Discussion {discussion_id} does not exist.")
    return discussion


def _duplicate(existing: str | None) -> Conflict:
    named = f"Discussion {existing} is" if existing else "A discussion was"
    return Conflict(f"{named} already open on this with the same sub-typology: write there.", code=DUPLICATE)


def refuse_duplicate(session: Session, *conds: Any) -> None:
    """One open discussion per subject of concern: spec 13.3 asks clients to look before they open, and
    a second one is refused with the id of the first."""
    existing = session.scalar(select(Discussion.id).where(Discussion.is_open.is_(True), *conds).limit(1))
    if existing is not None:
        raise _duplicate(existing)


@contextmanager
def unique_open(session: Session, discussion: Discussion) -> Iterator[None]:
    """Opens or reopens `discussion` with the changes made in the block. The unique index catches what
    a concurrent request opened meanwhile; the changes go in a savepoint (a flush before it would
    write them outside), so that the transaction can still name that discussion."""
    same = (
        Discussion.is_open.is_(True),
        Discussion.order_id == discussion.order_id,
        Discussion.sub_typology_code == discussion.sub_typology_code,
        Discussion.id != discussion.id,
    )
    try:
        with session.begin_nested():
            yield
    except IntegrityError as exc:
        raise _duplicate(session.scalar(select(Discussion.id).where(*same).limit(1))) from exc


def _delay(session: Session, discussion: Discussion) -> timedelta:
    channel = channels.get_channel(session, discussion.sales_channel_id)
    return timedelta(hours=channel.discussion_escalation_hours)


def _escalate_at(session: Session, discussion: Discussion, due: datetime) -> None:
    """Sets (or stops) the escalation clock. Each due time has its own job, which acts only if the
    discussion still waits for that very time."""
    if not d.waits_for_seller(state_of(discussion)):
        discussion.escalation_due_at = None
        return
    discussion.escalation_due_at = due
    enqueue(session, ESCALATE_JOB, {"discussion_id": discussion.id, "due": due.isoformat()}, run_at=due)


def _start_wait(session: Session, discussion: Discussion, since: datetime) -> None:
    """The seller has something to treat from `since` (or nothing, closed or answered): its answer is
    due within the channel's delay, when the discussion escalates unless answered."""
    if not (discussion.is_open and discussion.process_status == d.ProcessStatus.TO_TREAT):
        discussion.answer_due_at = discussion.escalation_due_at = None
        return
    due = since + _delay(session, discussion)
    discussion.answer_due_at = due
    _escalate_at(session, discussion, due)


def after_message(session: Session, discussion: Discussion, sender: str, now: datetime) -> bool | None:
    """What a new message does: the process status follows who spoke; the clocks start when the
    seller gets something to treat and stop when it answers. For a seller's answer to a waiting
    discussion, whether it came in time: before the discussion would first have escalated."""
    due = discussion.answer_due_at
    before = discussion.process_status
    discussion.process_status = d.status_after(sender).value
    discussion.updated_at = now
    if sender == d.SELLER:
        discussion.answer_due_at = discussion.escalation_due_at = None
        return now <= due if due is not None else None
    # Writing again does not restart the delay: it runs from the first unanswered message.
    if before != d.ProcessStatus.TO_TREAT or due is None:
        _start_wait(session, discussion, now)
    return None


def _raise(discussion: Discussion, graduation: d.Graduation, now: datetime) -> None:
    discussion.graduation = graduation.value
    if d.is_claim(graduation) and discussion.claimed_at is None:
        discussion.claimed_at = now
    discussion.updated_at = now


def escalate(session: Session, discussion_id: str, user_type: str, target: str | None) -> Discussion:
    """The customer or customer service escalates: the seller has a claim to treat, and the clock runs
    again for the new level."""
    d.buyer_type(user_type)
    discussion = locked(session, discussion_id)
    graduation = d.escalated(state_of(discussion), target)
    now = clock.now()
    _raise(discussion, graduation, now)
    discussion.process_status = d.ProcessStatus.TO_TREAT.value
    _start_wait(session, discussion, now)
    return discussion


def set_open(session: Session, discussion: Discussion, is_open: bool) -> Discussion:
    """Closes or reopens; doing what is already done changes nothing. A reopened discussion still
    waiting for the seller gets a fresh delay."""
    if discussion.is_open == is_open:
        return discussion
    if is_open and discussion.order_id is not None:
        refuse_duplicate(
            session,
            Discussion.order_id == discussion.order_id,
            Discussion.sub_typology_code == discussion.sub_typology_code,
        )
    now = clock.now()
    with unique_open(session, discussion):
        discussion.is_open = is_open
        discussion.closed_at = None if is_open else now
        discussion.updated_at = now
        _start_wait(session, discussion, now)
    return discussion


def escalate_when_due(session: Session, discussion_id: str, due: str) -> None:
    """The job: the delay passed without an answer from the seller, so the discussion climbs one
    level and the clock restarts from the due time. Idempotent; a later message or answer moved or
    stopped the clock, and this job then does nothing."""
    discussion = session.get(Discussion, discussion_id, with_for_update=True)
    if discussion is None or discussion.escalation_due_at is None:
        return
    if discussion.escalation_due_at.isoformat() != due or not d.waits_for_seller(state_of(discussion)):
        return
    moment = discussion.escalation_due_at
    if moment > clock.now():  # the sandbox clock went back: wait for the due time again
        enqueue(session, ESCALATE_JOB, {"discussion_id": discussion.id, "due": due}, run_at=moment)
        return
    _raise(discussion, d.escalated(state_of(discussion)), moment)
    # The next level gets the same delay; the seller's answer is late already.
    _escalate_at(session, discussion, moment + _delay(session, discussion))

"""Answers that change nothing else: help, refusals, and events with nothing to say."""
from models.errors import ShopError
from models.events import HelpShown, Ignored, Refused


def show_help(db, user_id: str) -> None:
    db.run(lambda uow: uow.record(HelpShown(user_id)))


def refuse(db, user_id: str, error: ShopError) -> None:
    """Tell the shopper why their request changed nothing."""
    db.run(lambda uow: uow.record(Refused(user_id, error)))


def ignore(db, user_id: str) -> None:
    """Nothing to say (a sticker in a group, a join…); the event is done all the same."""
    db.run(lambda uow: uow.record(Ignored(user_id)))

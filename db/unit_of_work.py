"""One transaction as a use case sees it: a cursor, and the domain events it records."""
from dataclasses import dataclass, field


@dataclass
class UnitOfWork:
    """Handed to `work` by `Database.run`; the runtime's notifier reads `events` before commit."""
    cur: object
    context: object = None  # who is being answered (the LINE handler's ReplyContext), if anyone
    events: list = field(default_factory=list)

    def record(self, event) -> None:
        """Report what happened; it reaches the shopper in this same transaction (or not at all)."""
        self.events.append(event)

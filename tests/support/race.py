"""The one race helper: start calls on a barrier so they truly overlap, and collect what each got."""
import threading


def at_once(call, inputs) -> list:
    """Run `call(item)` for every item, each in its own thread released by one Barrier.

    Returns, in the order of `inputs`, each call's result or the exception it raised.
    """
    inputs = list(inputs)
    barrier = threading.Barrier(len(inputs))
    outcomes: list = [None] * len(inputs)

    def run(index: int, item) -> None:
        barrier.wait()
        try:
            outcomes[index] = call(item)
        except Exception as error:  # the caller asserts on it
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i, item)) for i, item in enumerate(inputs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes

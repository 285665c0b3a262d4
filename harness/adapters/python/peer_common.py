"""
peer_common.py: the exceptions and the result shape shared by the Python peer's modules.
"""


class BadRequest(Exception):
    """The request is malformed: answered with the bad_request error."""


class Unimplemented(Exception):
    """Something the libraries behind this peer cannot do: answered with unimplemented."""


class Verdict(Exception):
    """A reject: the stirmls reason name ("" when no library or glue check established one)
    and the native text (the library's own error, or "glue: ..." for adapter checks)."""

    def __init__(self, reason, native):
        super().__init__(native)
        self.reason = reason
        self.native = native


def result(verdict, reason="", native="", identities=None):
    return {"verdict": verdict, "reason": reason, "native": native,
            "identities": identities or []}

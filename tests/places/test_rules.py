"""The colour of a help request's status in the list comes from the places labels."""

from maillage.places.labels import HelpRequestStatus
from maillage.places.models import HelpRequest


def test_a_new_request_is_flagged_and_a_resolved_one_green_the_others_grey():
    badges = {status: HelpRequest(status=status).status_badge for status in HelpRequestStatus}
    assert badges == {
        HelpRequestStatus.NEW: "new",
        HelpRequestStatus.CALLED_BACK: "",
        HelpRequestStatus.RESOLVED: "success",
        HelpRequestStatus.REDIRECTED: "",
    }

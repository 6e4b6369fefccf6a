"""Signals other apps listen to (they never import this app's views).

`attendance_marked(sender=Booking, booking_id, attendance)` is sent once the transaction that
marked someone present, absent or excused commits: the mediation app creates accompaniment
records from it.

`booking_cancelled(sender=Booking, booking_id, by)` is sent inside the transaction that cancels
a booking, so what hangs on it is cancelled with it or not at all: the transport app cancels
the rides asked for it (and tells the riders once that transaction commits).

`booking_moved(sender=Booking, booking_id, place_id_before, by)` is sent inside the transaction
that moves a booking to another start (or place): the transport app makes the rides asked for
it follow (new day and times, back to "requested", both days re-planned).
"""

from django.dispatch import Signal

attendance_marked = Signal()
booking_cancelled = Signal()
booking_moved = Signal()

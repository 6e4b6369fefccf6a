"""Signals other apps listen to (they never import this app's views).

`attendance_marked(sender=Booking, booking_id, attendance)` is sent once the transaction that
marked someone present, absent or excused commits: the mediation app creates accompaniment
records from it.

`booking_cancelled(sender=Booking, booking_id, by)` is sent inside the transaction that cancels
a booking, so what hangs on it is cancelled with it or not at all: the transport app cancels
the rides asked for it (and tells the riders once that transaction commits).
"""

from django.dispatch import Signal

attendance_marked = Signal()
booking_cancelled = Signal()

"""Signals other apps listen to (they never import this app's views).

`attendance_marked(sender=Booking, booking_id, attendance)` is sent once the transaction that
marked someone present, absent or excused commits: the mediation app creates accompaniment
records from it.
"""

from django.dispatch import Signal

attendance_marked = Signal()

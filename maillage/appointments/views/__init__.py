"""Appointment pages, split by audience as pretix splits presale and control.

- `public`: the people booking, without an account — choose a service, see the slots nearest
  to one's commune, hold one while filling the form, confirmation, calendar file, and the
  person's own page reached by the signed link (move, cancel); a workshop's registration; the
  private calendar feeds read by calendar programs.
- `staff_agenda`: the agenda by day or week (filters, CSV) and the indicators.
- `staff_bookings`: booking for the person in front of you, forcing an overlap, one
  appointment's page and each thing done to it (attendance, move, cancel).
- `staff_sessions`: a workshop session's attendance list, registering someone, the PDF.
- `staff_feeds`: the staff member's calendar feed addresses (create, revoke).
- `staff_availability`: agents' weekly windows and absences.

Each view that changes something does one thing at its own URL (pretix's `OrderCancel`
shows, `OrderCancelDo` acts): a GET page shows the forms, each form posts to the view that
does that action. Views parse the request, call a service and render.
"""

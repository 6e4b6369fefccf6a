"""Pages of the networks app, split by audience: `public` (anyone: the directory and its map),
`coordination` (the network's coordinators and the organisations steering it), `own` (a
member, through their own account: returns, online presence, publication choices)."""

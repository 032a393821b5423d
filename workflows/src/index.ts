// Temporal workflows and their activities (DESIGN.md §7).

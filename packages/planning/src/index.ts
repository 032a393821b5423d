// Workforce planning math (DESIGN.md §7): pure functions, no I/O.

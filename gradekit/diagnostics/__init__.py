"""What `gradekit doctor` checks, one module per side: the machine and its sandbox
(machine.py), how far sandboxes are kept from the host and each other (isolation.py), the
course and its services (course.py); each check prints its lines through a Findings."""

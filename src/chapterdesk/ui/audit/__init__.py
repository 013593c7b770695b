"""The Audit page: the chapter's audit trail, its CSV export, and the retention purge (ROS-1,
ROS-4). Leaders only: the window builds it for them alone, and the services refuse anyone else."""

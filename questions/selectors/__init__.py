"""Reads, by subject. Every read of the pages and the API starts in one of these modules:

- visibility: which sets and questions a user sees, studies and may answer; a study scope's filter;
- study_days: when a student's study day starts, and what they did today;
- queue: what to study next;
- progress: how well a student knows what they study; charts: the pages' series and home counts;
- classes and class_report: classes and their statistics;
- banks: sets, questions, sources, tokens and the review history, as each caller may see them.

Who may do what is questions.permissions; writes are questions.services.
"""

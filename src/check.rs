//! `keepopen check`: licence report and verdict for one repository or every repository under a directory.

// The heights of the app shell's fixed bars: the layout reserves them, and the notices keep clear of them.

/** The header with the app's name and the language choice. */
export const HEADER_HEIGHT = 56;

/** The database status bar at the bottom of every screen. */
export const STATUS_BAR_HEIGHT = 36;

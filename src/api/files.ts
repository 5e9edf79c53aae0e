// The CLI's view of the file checks config resolves with (cli/ does not import config/).
export { isDirectory, isFile } from '../config/find-executable.js';

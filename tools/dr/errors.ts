// A problem with what the user asked `npm run dr` for: printed as one line, exit code 2.
export class DrInputError extends Error {
  override name = "DrInputError";
}

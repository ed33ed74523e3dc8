import { describe, expect, it } from "vitest";
import { whyDisabled, WHY_DISABLED } from "./components/wizard/wizardSteps";
import { agreementStep, mappedView, unmappedView } from "./test/wizard";

describe("why a wizard step cannot be reached", () => {
  it("is the real problem: an agreement chosen whose additions are not read is not 'choose an agreement'", () => {
    const message = "The additions of “Pinecrest - Microsoft 365” are not read yet: they are read as soon as ConnectWise can be reached (open this task again then).";
    const view = {
      ...mappedView(),
      agreements: agreementStep({ chosen: 4151 }),
      problems: [{ rowKey: null, field: "agreement" as const, message }],
    };
    expect(whyDisabled(view, "changes")).toBe(message);
    expect(whyDisabled(view, "summary")).toBe(message);
  });

  it("is the general reason when no problem names it", () => {
    expect(whyDisabled(null, "agreement")).toBe(WHY_DISABLED.agreement);
    expect(whyDisabled({ ...mappedView(), problems: [] }, "changes")).toBe("Choose an agreement first");
    const unmapped = unmappedView();
    const companyProblem = unmapped.problems.find((p) => p.field === "company");
    expect(whyDisabled(unmapped, "agreement")).toBe(companyProblem?.message ?? WHY_DISABLED.agreement);
  });
});

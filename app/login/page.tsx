import { Suspense } from "react";
import { SignInForm } from "./SignInForm";

export const metadata = { title: "Sign in · Gate" };

export default function SignInPage() {
  // The form reads ?next= from the URL, which Next renders only inside a Suspense boundary.
  return (
    <Suspense>
      <SignInForm />
    </Suspense>
  );
}

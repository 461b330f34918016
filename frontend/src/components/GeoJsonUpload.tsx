// A button that reads a GeoJSON file chosen by the user and hands over its parsed content;
// a file that is not JSON is reported, not sent.
import type { ReactNode } from "react";
import { App, Button, Upload } from "antd";
import { UploadOutlined } from "@ant-design/icons";

interface Props {
  label: ReactNode;
  loading?: boolean;
  onParsed: (body: unknown) => void;
}

export function GeoJsonUpload({ label, loading, onParsed }: Props) {
  const { message } = App.useApp();
  return (
    <Upload accept=".geojson,.json,application/geo+json,application/json" showUploadList={false}
      beforeUpload={(file) => {
        file.text().then((text) => {
          try {
            onParsed(JSON.parse(text));
          } catch (e) {
            message.error(String(e));
          }
        });
        return false;
      }}>
      <Button icon={<UploadOutlined />} loading={loading}>{label}</Button>
    </Upload>
  );
}
